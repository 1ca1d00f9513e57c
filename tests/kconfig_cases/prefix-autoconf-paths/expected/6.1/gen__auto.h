/*
 * Automatically generated file; DO NOT EDIT.
 * Main menu
 */
#define XX_H 0XFF
#define XX_A_MODULE 1
#define XX_MODULES 1
#define XX_S "a\\b"
