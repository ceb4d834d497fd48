"""The web shell: layout, navigation, error pages, shared dependencies and vendored static assets."""
