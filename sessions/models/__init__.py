from .agenda import AgendaItem, Consultation
from .invitation import Delivery, Dispatch
from .meeting import Meeting
from .minutes import Attendance, ItemMinutes, Minutes, MinutesCorrection
from .pack import SessionPack

__all__ = [
    "AgendaItem",
    "Attendance",
    "Consultation",
    "Delivery",
    "Dispatch",
    "ItemMinutes",
    "Meeting",
    "Minutes",
    "MinutesCorrection",
    "SessionPack",
]
