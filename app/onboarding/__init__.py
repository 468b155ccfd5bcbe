"""The patient's welcome tour: what the app does around TMS, install, reminders, language, the safety plan."""
