/**
 * The one place that loads `@mattermost/client`. The package is CommonJS: under native Node ESM, named imports
 * (`import { Client4 } from '@mattermost/client'`) throw "Named export 'Client4' not found" although TypeScript
 * accepts them (protocol doc, correction 1). The default import is the whole `module.exports`, which works in Node,
 * in vitest and in the built CLI alike.
 */
import mattermostClient from '@mattermost/client';

export const { Client4, WebSocketClient } = mattermostClient;
export type Client4Instance = InstanceType<typeof Client4>;
export type WebSocketClientInstance = InstanceType<typeof WebSocketClient>;
