int first_in_chapter_two;
