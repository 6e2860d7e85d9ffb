"""PySide6 only here: main window, screens, Qt item models, dialogs and background workers."""
