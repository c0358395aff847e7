import { chapterExerciseTests } from '../../support/exercise-suite.ts';

chapterExerciseTests('09-pitfalls');
