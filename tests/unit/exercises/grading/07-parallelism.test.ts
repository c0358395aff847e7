import { chapterExerciseTests } from '../../support/exercise-suite.ts';

chapterExerciseTests('07-parallelism');
