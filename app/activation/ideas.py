"""Life areas and a starter library of small activities for behavioural activation (CLINICAL.md).

Ideas are deliberately small and concrete, because early in depression a first step that is easy to start
matters more than an ambitious plan.
"""

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from app.i18n.markers import N_


class LifeArea(StrEnum):
    RELATIONSHIPS = "relationships"
    WORK_STUDY = "work_study"
    HEALTH_BODY = "health_body"
    LEISURE_FUN = "leisure_fun"
    HOME_DAILY = "home_daily"
    VALUES_COMMUNITY = "values_community"


LIFE_AREA_LABELS: Mapping[LifeArea, str] = MappingProxyType(
    {
        LifeArea.RELATIONSHIPS: N_("Relationships"),
        LifeArea.WORK_STUDY: N_("Work and study"),
        LifeArea.HEALTH_BODY: N_("Health and body"),
        LifeArea.LEISURE_FUN: N_("Leisure and fun"),
        LifeArea.HOME_DAILY: N_("Home and daily tasks"),
        LifeArea.VALUES_COMMUNITY: N_("Values, community and spirit"),
    }
)

ACTIVITY_IDEAS: Mapping[LifeArea, tuple[str, ...]] = MappingProxyType(
    {
        LifeArea.RELATIONSHIPS: (
            N_("Send a short message to a friend you haven't talked to in a while"),
            N_("Call a family member for ten minutes"),
            N_("Have a cup of tea or coffee with someone"),
            N_("Ask someone how their day went and really listen"),
            N_("Write a thank-you note to someone who helped you"),
            N_("Share a meal with someone, at home or out"),
            N_("Play a game or do a puzzle with someone"),
        ),
        LifeArea.WORK_STUDY: (
            N_("Spend 15 minutes on one small work or study task"),
            N_("Clear five emails or messages"),
            N_("Write a short to-do list for tomorrow"),
            N_("Read one article or chapter related to your work or course"),
            N_("Tidy your desk or workspace for ten minutes"),
            N_("Ask a colleague or classmate one question you have been putting off"),
            N_("Look up one course, job or volunteering role that interests you"),
        ),
        LifeArea.HEALTH_BODY: (
            N_("Take a 10-minute walk outside"),
            N_("Drink a glass of water when you get up"),
            N_("Do five minutes of gentle stretching"),
            N_("Eat a proper breakfast"),
            N_("Get ready for bed at a set time tonight"),
            N_("Take a shower and put on fresh clothes"),
            N_("Step outside for some daylight in the morning"),
            N_("Book or confirm a health appointment you have been putting off"),
        ),
        LifeArea.LEISURE_FUN: (
            N_("Listen to three songs you love"),
            N_("Read a few pages of a book or magazine"),
            N_("Watch a favourite comedy episode"),
            N_("Draw, doodle or colour for 15 minutes"),
            N_("Cook or bake something simple you enjoy"),
            N_("Visit a park, café or library"),
            N_("Spend ten minutes on a hobby you used to enjoy"),
            N_("Do a crossword or puzzle"),
        ),
        LifeArea.HOME_DAILY: (
            N_("Wash the dishes from one meal"),
            N_("Make your bed"),
            N_("Put on one load of laundry"),
            N_("Clear one surface, such as a table or shelf"),
            N_("Open one piece of post or pay one bill"),
            N_("Take the rubbish or recycling out"),
            N_("Plan three meals and write a shopping list"),
            N_("Water the plants or tend a small corner of the garden"),
        ),
        LifeArea.VALUES_COMMUNITY: (
            N_("Do one small kind thing for a neighbour"),
            N_("Spend five quiet minutes on prayer, meditation or reflection"),
            N_("Donate a few things you no longer need"),
            N_("Write down three things that matter most to you"),
            N_("Go to a community group, class or place of worship"),
            N_("Spend time in nature and notice what you see"),
            N_("Help someone with a small task"),
        ),
    }
)
