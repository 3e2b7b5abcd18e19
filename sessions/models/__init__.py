from .agenda import AgendaItem, Consultation
from .meeting import Meeting

__all__ = ["AgendaItem", "Consultation", "Meeting"]
