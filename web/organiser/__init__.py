"""组织方控制台 (the organiser console); its menu is a template global, registered on import."""

from web.organiser import menu as menu
