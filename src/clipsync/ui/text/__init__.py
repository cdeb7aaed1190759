"""The text beside the video: the article view, its document and highlights, search, the quotes
panel and quote cards. Other features use what is exported here."""

from clipsync.ui.text.article_view import ArticleView
from clipsync.ui.text.quote_card import save_quote_card
from clipsync.ui.text.quotes_panel import QuotesPanel, quote_text

__all__ = ["ArticleView", "QuotesPanel", "quote_text", "save_quote_card"]
