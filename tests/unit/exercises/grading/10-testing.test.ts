import { chapterExerciseTests } from '../../support/exercise-suite.ts';

chapterExerciseTests('10-testing');
