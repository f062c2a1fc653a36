"""Proactive care journeys: triggers, conditions, steps, runs advanced by the scheduler."""
