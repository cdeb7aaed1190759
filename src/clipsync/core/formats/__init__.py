"""Document formats and companions: the sync document, subtitles (WebVTT, SRT), cue text, and the files found beside a media."""
