"""Autograder for the course's exercises: isolated workers, checks against the answer key."""
