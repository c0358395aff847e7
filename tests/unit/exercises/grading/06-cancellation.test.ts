import { chapterExerciseTests } from '../../support/exercise-suite.ts';

chapterExerciseTests('06-cancellation');
