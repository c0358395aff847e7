import { chapterExerciseTests } from '../../support/exercise-suite.ts';

chapterExerciseTests('04-channels');
