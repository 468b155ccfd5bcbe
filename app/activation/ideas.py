"""Life areas and a starter library of small activities for behavioural activation (CLINICAL.md).

Ideas are deliberately small and concrete, because early in depression a first step that is easy to start
matters more than an ambitious plan.
"""

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class LifeArea(StrEnum):
    RELATIONSHIPS = "relationships"
    WORK_STUDY = "work_study"
    HEALTH_BODY = "health_body"
    LEISURE_FUN = "leisure_fun"
    HOME_DAILY = "home_daily"
    VALUES_COMMUNITY = "values_community"


LIFE_AREA_LABELS: Mapping[LifeArea, str] = MappingProxyType(
    {
        LifeArea.RELATIONSHIPS: "Relationships",
        LifeArea.WORK_STUDY: "Work and study",
        LifeArea.HEALTH_BODY: "Health and body",
        LifeArea.LEISURE_FUN: "Leisure and fun",
        LifeArea.HOME_DAILY: "Home and daily tasks",
        LifeArea.VALUES_COMMUNITY: "Values, community and spirit",
    }
)

ACTIVITY_IDEAS: Mapping[LifeArea, tuple[str, ...]] = MappingProxyType(
    {
        LifeArea.RELATIONSHIPS: (
            "Send a short message to a friend you haven't talked to in a while",
            "Call a family member for ten minutes",
            "Have a cup of tea or coffee with someone",
            "Ask someone how their day went and really listen",
            "Write a thank-you note to someone who helped you",
            "Share a meal with someone, at home or out",
            "Play a game or do a puzzle with someone",
        ),
        LifeArea.WORK_STUDY: (
            "Spend 15 minutes on one small work or study task",
            "Clear five emails or messages",
            "Write a short to-do list for tomorrow",
            "Read one article or chapter related to your work or course",
            "Tidy your desk or workspace for ten minutes",
            "Ask a colleague or classmate one question you have been putting off",
            "Look up one course, job or volunteering role that interests you",
        ),
        LifeArea.HEALTH_BODY: (
            "Take a 10-minute walk outside",
            "Drink a glass of water when you get up",
            "Do five minutes of gentle stretching",
            "Eat a proper breakfast",
            "Get ready for bed at a set time tonight",
            "Take a shower and put on fresh clothes",
            "Step outside for some daylight in the morning",
            "Book or confirm a health appointment you have been putting off",
        ),
        LifeArea.LEISURE_FUN: (
            "Listen to three songs you love",
            "Read a few pages of a book or magazine",
            "Watch a favourite comedy episode",
            "Draw, doodle or colour for 15 minutes",
            "Cook or bake something simple you enjoy",
            "Visit a park, café or library",
            "Spend ten minutes on a hobby you used to enjoy",
            "Do a crossword or puzzle",
        ),
        LifeArea.HOME_DAILY: (
            "Wash the dishes from one meal",
            "Make your bed",
            "Put on one load of laundry",
            "Clear one surface, such as a table or shelf",
            "Open one piece of post or pay one bill",
            "Take the rubbish or recycling out",
            "Plan three meals and write a shopping list",
            "Water the plants or tend a small corner of the garden",
        ),
        LifeArea.VALUES_COMMUNITY: (
            "Do one small kind thing for a neighbour",
            "Spend five quiet minutes on prayer, meditation or reflection",
            "Donate a few things you no longer need",
            "Write down three things that matter most to you",
            "Go to a community group, class or place of worship",
            "Spend time in nature and notice what you see",
            "Help someone with a small task",
        ),
    }
)
