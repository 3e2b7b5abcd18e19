from .base import OParlObject, OParlQuerySet
from .body import Body, LegislativeTerm
from .location import Location
from .membership import Membership
from .organization import Organization
from .person import Person
from .staff import StaffAccess

__all__ = [
    "Body",
    "LegislativeTerm",
    "Location",
    "Membership",
    "OParlObject",
    "OParlQuerySet",
    "Organization",
    "Person",
    "StaffAccess",
]
