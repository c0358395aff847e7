import { chapterExerciseTests } from '../../support/exercise-suite.ts';

chapterExerciseTests('03-atomics');
