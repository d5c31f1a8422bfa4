"""Date formats where Django's locale lacks one (``FORMAT_MODULE_PATH``): Django falls back to
these modules first, then to its own locale, then to the settings' American defaults."""
