"""Who is at the keyboard: the sign-in page, a guest's name and role, the recovery-key
dialog, changing and resetting passwords, and the idle lock."""
