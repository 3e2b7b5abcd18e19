from .file import File
from .paper import Paper, PaperType, ReferenceCounter
from .signoff import SignOff

__all__ = ["File", "Paper", "PaperType", "ReferenceCounter", "SignOff"]
