"""Published Spanish (US) wording of the questionnaires, exactly as found; never translated by us (CLINICAL.md).

PHQ-9 — "Cuestionario sobre la salud del paciente-9 (PHQ-9)", the PHQ screeners' Spanish version for the USA
("Elaborado por los doctores Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke y colegas, mediante una
subvención educativa otorgada por Pfizer Inc. No se requiere permiso para reproducir, traducir, presentar o
distribuir."). Text taken from a reproduction of that form, "PatientHealthQuestionnaire9_Spanish",
https://es.studenta.com/content/129686767/patient-health-questionnaire-9-spanish (found 2026-11-29); item 8's
printed line breaks joined with single spaces. The closing difficulty question (unscored) is from the same form.

GAD-7 — no source reproducing the PHQ screeners' Spanish-for-USA GAD-7 form with its attribution was found
(2026-11-29: public pages and repositories disagree on items 5-7 and the answer labels), so GAD-7 stays in English
for Spanish-speaking patients, with a note.

PCL-5 — the National Center for PTSD's Spanish PCL-5 was not found. The only Spanish PCL-5 text found is the
adaptation for Spain by Sanz, García-Vera et al. (Universidad Complutense de Madrid, 2016), which is not the
version CLINICAL.md names, so PCL-5 stays in English with a note.

Keys: instrument code -> wording; items by their 1-based number, options by their scored value.
"""
from types import MappingProxyType

PHQ9_ES = MappingProxyType(
    {
        "title": "Cuestionario sobre la salud del paciente-9 (PHQ-9)",
        "timeframe_prompt": (
            "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?"
        ),
        "items": MappingProxyType(
            {
                1: "Poco interés o placer en hacer cosas",
                2: "Se ha sentido decaído(a), deprimido(a) o sin esperanzas",
                3: "Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado",
                4: "Se ha sentido cansado(a) o con poca energía",
                5: "Sin apetito o ha comido en exceso",
                6: "Se ha sentido mal con usted mismo(a) – o que es un fracaso o que ha quedado mal con usted "
                "mismo(a) o con su familia",
                7: "Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el periódico o "
                "ver la televisión",
                8: "¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo contrario – "
                "muy inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo normal",
                9: "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera",
            }
        ),
        "options": MappingProxyType(
            {0: "Ningún día", 1: "Varios días", 2: "Más de la mitad de los días", 3: "Casi todos los días"}
        ),
        "difficulty_prompt": (
            "Si marcó cualquiera de los problemas, ¿qué tanta dificultad le han dado estos problemas para hacer su "
            "trabajo, encargarse de las tareas del hogar, o llevarse bien con otras personas?"
        ),
        "difficulty_options": MappingProxyType(
            {0: "No ha sido difícil", 1: "Un poco difícil", 2: "Muy difícil", 3: "Extremadamente difícil"}
        ),
    }
)

WORDING_ES = MappingProxyType({"phq9": PHQ9_ES})
"""Instruments with a validated Spanish wording; an instrument missing here is shown in English."""
