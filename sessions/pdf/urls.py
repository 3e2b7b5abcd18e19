"""Admin addresses of the meeting documents as PDF (staff downloads)."""

urlpatterns = []
