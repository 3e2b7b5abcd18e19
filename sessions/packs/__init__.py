"""Session packs (Sitzungsmappen): one PDF per meeting and audience."""
