/*
 * Automatically generated file; DO NOT EDIT.
 * Main menu
 */
#define CONFIG_H 0x10
#define CONFIG_B 1
#define CONFIG_A 1
#define CONFIG_MODULES 1
#define CONFIG_S "changed"
