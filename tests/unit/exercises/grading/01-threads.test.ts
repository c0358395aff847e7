import { chapterExerciseTests } from '../../support/exercise-suite.ts';

chapterExerciseTests('01-threads');
