"""Generic pieces several features use, knowing none of them: form fields and dialog parts,
wizard pages and the steps beside them, lazy table models, record text shown safely, the
stoppable job dialog, the recovery-key entry. Nothing here imports a feature package."""
