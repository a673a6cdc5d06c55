"""Audio devices and the voice engines (ElevenLabs agent, offline espeak-ng + pocketsphinx, typed answers)."""
