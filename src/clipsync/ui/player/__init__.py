"""Playing: the controller over the media player, the video view, jumps and the pictures' times, the transport bar, the timeline, network playback and the bars over the video."""
