"""Reading drafts: bytes to text, context, the writer's own words, positions back to the file."""
from .discovery import MissingPath, Source, discover
from .loader import load_draft
from .model import Draft, DraftContext, LineMap

__all__ = ["Draft", "DraftContext", "LineMap", "MissingPath", "Source", "discover", "load_draft"]
