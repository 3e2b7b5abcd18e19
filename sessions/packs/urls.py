"""Admin addresses of session packs (build state, downloads)."""

urlpatterns = []
