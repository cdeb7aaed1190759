"""Captions: the caption track built from the article, its lines and pages, and the viewer's caption style."""
