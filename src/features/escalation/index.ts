/** The escalation feature's public surface for the composition root and the CLI. */
export { registerEscalation, type Escalation, type EscalationOptions } from './escalation-handlers.js';
export { ESCALATION_MIGRATIONS } from './store.js';
export { readDirectoryFile, validateDirectory, directoryReceivers, type Directory } from './directory.js';
