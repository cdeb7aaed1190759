"""The text beside the video: the article view, its document and highlights, search, the quotes panel and quote cards."""
