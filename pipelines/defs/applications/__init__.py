"""Dagster definitions: answers to the application form (AMI)."""
