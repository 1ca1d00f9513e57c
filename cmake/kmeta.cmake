# kmeta_module(NAME DEPS dep...)
# Builds kmeta_<NAME> from every *.cc in the current directory that is not a
# *_test.cc, and kmeta_<NAME>_test from the *_test.cc files (GoogleTest,
# labelled "unit"). Adding a file to a module needs no CMake edit.
function(kmeta_module name)
  cmake_parse_arguments(ARG "" "" "DEPS;TEST_DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc)
  if(tests)
    list(REMOVE_ITEM srcs ${tests})
  endif()
  if(srcs)
    add_library(kmeta_${name} STATIC ${srcs})
    target_include_directories(kmeta_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(kmeta_${name} PUBLIC ${ARG_DEPS})
  else()
    add_library(kmeta_${name} INTERFACE)
    target_include_directories(kmeta_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(kmeta_${name} INTERFACE ${ARG_DEPS})
  endif()
  if(tests)
    add_executable(kmeta_${name}_test ${tests})
    target_link_libraries(kmeta_${name}_test PRIVATE kmeta_${name} ${ARG_TEST_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
    target_compile_definitions(kmeta_${name}_test PRIVATE
      KMETA_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
      KMETA_BINARY_DIR="${PROJECT_BINARY_DIR}"
      KMETA_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
    gtest_discover_tests(kmeta_${name}_test
      TEST_PREFIX "${name}."
      PROPERTIES LABELS unit
      DISCOVERY_TIMEOUT 60)
  endif()
endfunction()
