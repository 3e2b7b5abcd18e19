from .file import File
from .paper import Paper, PaperType, ReferenceCounter

__all__ = ["File", "Paper", "PaperType", "ReferenceCounter"]
