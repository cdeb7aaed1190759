"""The article and its words: the model, reading plain text, finding quotes and speakers, and the lookup from a position to what is being said."""
