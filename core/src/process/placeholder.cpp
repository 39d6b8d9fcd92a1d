// Placeholder so the library exists before its area lands; delete when real sources exist.
