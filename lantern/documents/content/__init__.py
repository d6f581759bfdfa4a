"""The document model and its renderers (DOCX, HTML, PDF). No Django."""
