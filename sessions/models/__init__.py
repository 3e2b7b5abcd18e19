from .agenda import AgendaItem, Consultation
from .invitation import Delivery, Dispatch
from .live import LiveSession, SpeakerRequest
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
    "LiveSession",
    "Meeting",
    "Minutes",
    "MinutesCorrection",
    "SessionPack",
    "SpeakerRequest",
    "Vote",
    "VoteCorrection",
    "VoteParticipation",
]
