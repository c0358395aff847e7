import { chapterExerciseTests } from '../../support/exercise-suite.ts';

chapterExerciseTests('08-choosing');
