"""The window that assembles the features: its menus and actions, opening files and locations, the text commands."""
