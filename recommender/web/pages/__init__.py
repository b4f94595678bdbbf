"""The pages a person meets: the questionnaire, the result, the exercise library, and a clinic's embedded pages."""
