from .agenda import AgendaItem, Consultation
from .invitation import Delivery, Dispatch
from .meeting import Meeting
from .minutes import Attendance, ItemMinutes, Minutes, MinutesCorrection
from .pack import SessionPack
from .voting import Ballot, Vote, VoteCorrection, VoteParticipation

__all__ = [
    "AgendaItem",
    "Attendance",
    "Ballot",
    "Consultation",
    "Delivery",
    "Dispatch",
    "ItemMinutes",
    "Meeting",
    "Minutes",
    "MinutesCorrection",
    "SessionPack",
    "Vote",
    "VoteCorrection",
    "VoteParticipation",
]
