import { z } from 'zod';

/**
 * Every validation message reaches French readers (admins, curators, users): zod's own messages in French too.
 * Imported for its effect by each module that declares a schema, so that the locale is set whoever loads first.
 */
z.config(z.locales.fr());
