"""The service team: technicians and skills, teams and their board, reflection,
delegation, initiatives and shared knowledge."""

from servicegate.team.models.board import BoardColumn, Card, CardMove
from servicegate.team.models.knowledge import Article
from servicegate.team.models.people import (
    Delegation,
    FeedbackNote,
    Initiative,
    InitiativeLink,
    InitiativeMember,
    RetroAction,
    Retrospective,
    SkillAssessment,
    SkillNeed,
)
from servicegate.team.models.skills import Skill, Technician, TechnicianSkill
from servicegate.team.models.teams import Team, TeamMember

__all__ = [
    "Article",
    "BoardColumn",
    "Card",
    "CardMove",
    "Delegation",
    "FeedbackNote",
    "Initiative",
    "InitiativeLink",
    "InitiativeMember",
    "RetroAction",
    "Retrospective",
    "Skill",
    "SkillAssessment",
    "SkillNeed",
    "Team",
    "TeamMember",
    "Technician",
    "TechnicianSkill",
]
