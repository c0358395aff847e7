import { chapterExerciseTests } from '../../support/exercise-suite.ts';

chapterExerciseTests('02-shared-state');
