"""Optional AI assistance (off by default): drafted replies, summaries, translations, generative bot answers."""
