"""A release: what runs before and around the publishing core.

``ocmp.release`` sits between the commands and the rule catalogue: it runs the offline
rules before anything is uploaded (:mod:`~ocmp.release.gate`) and drives several listing
projects of one repository in dependency order (:mod:`~ocmp.release.runner`): image
listings, then the stacks subscribed to what they published, then the stack listings.
Like the core, it never draws: progress goes to the observers the commands hand in.
"""
