"""Domain « candidatures »: answers to the application form (Word forms and form-tool exports), the
structured fields and tags drawn from them, their versioned tables, Dagster assets and demo files.
"""
