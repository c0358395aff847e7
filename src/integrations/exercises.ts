/**
 * Astro integration: validates every exercise folder (src/exercises/catalog.ts) when the
 * site is configured, so a malformed exercise fails `astro build` with a
 * message naming the file and the field. Under `astro dev` the error is
 * logged instead, so one broken folder does not take the whole book down
 * while an author is still writing it.
 */
import type { AstroIntegration } from 'astro';
import { defaultExercisesRoot, listExercises } from '../exercises/catalog.ts';

export function exercises(root: string = defaultExercisesRoot()): AstroIntegration {
  return {
    name: 'weft:exercises',
    hooks: {
      'astro:config:setup': ({ command, logger }) => {
        try {
          const found = listExercises(root);
          logger.info(`${found.length} exercises, all well-formed`);
        } catch (error) {
          if (command !== 'dev') throw error;
          logger.error(error instanceof Error ? error.message : String(error));
        }
      },
    },
  };
}
